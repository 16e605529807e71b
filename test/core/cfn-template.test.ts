import { readFileSync } from 'node:fs';
import { parseTemplate } from '../../core/cfn-template.js';

describe('parseTemplate', () => {
  it('turns short-form tags into their long forms', () => {
    const t = parseTemplate(
      [
        'Conditions:',
        '  C: !Equals [!Ref P, x]',
        'Resources:',
        '  R:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      A: !GetAtt X.Arn',
        '      B: !Sub "${AWS::StackName}-b"',
        '      C: !If [C, !Ref AWS::NoValue, !Join ["-", [a, !Select [0, !Split [",", "p,q"]]]]]',
        '      D: !GetAtt [X, Y.Z]',
        '      E: !Condition C',
        '      F: !ImportValue exported',
      ].join('\n'),
      't.yaml',
    );
    expect(t.Conditions).toEqual({ C: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] } });
    expect(t.Resources.R.Properties).toEqual({
      A: { 'Fn::GetAtt': ['X', 'Arn'] },
      B: { 'Fn::Sub': '${AWS::StackName}-b' },
      C: { 'Fn::If': ['C', { Ref: 'AWS::NoValue' }, { 'Fn::Join': ['-', ['a', { 'Fn::Select': [0, { 'Fn::Split': [',', 'p,q'] }] }]] }] },
      D: { 'Fn::GetAtt': ['X', 'Y.Z'] },
      E: { Condition: 'C' },
      F: { 'Fn::ImportValue': 'exported' },
    });
  });

  it('reads JSON templates and the project templates', () => {
    expect(parseTemplate('{"Resources": {"R": {"Type": "AWS::SNS::Topic"}}}', 't.json').Resources.R.Type).toBe('AWS::SNS::Topic');
    const endpoint = parseTemplate(readFileSync('cloudformation/endpoint.yaml', 'utf8'), 'cloudformation/endpoint.yaml');
    expect(endpoint.Resources.Endpoint.Properties?.EndpointConfigName).toEqual({ 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] });
  });

  it.each([
    ['Resources:\n  R: [unclosed', 't.yaml:2:15: invalid YAML: the text ends inside a flow collection'],
    ['Resources:\n  R:\n    Type: X\n  R:\n    Type: Y', 't.yaml:4:3: invalid YAML: duplicated mapping key'],
    ['- a', 't.yaml: a template must be a mapping with a Resources section'],
    ['Parameters: {}', 't.yaml: the template has no Resources (CloudFormation needs at least one)'],
    ['Resources:\n  R: !Bogus x', "t.yaml: unknown tag '!Bogus'"],
    ['A: &a 1\nResources:\n  R: *a', 't.yaml:1: YAML anchors and aliases are not supported in CloudFormation templates (&a)'],
  ])('rejects %j naming the file', (body, message) => {
    expect(() => parseTemplate(body, 't.yaml')).toThrow(message);
  });
});
