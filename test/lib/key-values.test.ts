import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyValues } from '../../actions/lib/key-values.js';

const what = "Input 'parameter-overrides'";

describe('parseKeyValues', () => {
  it('reads comma and newline separated pairs, with quoted commas', () => {
    expect(parseKeyValues('A=1,B=two\nC="x,y"\n D = spaced ', what)).toEqual({ A: '1', B: 'two', C: 'x,y', D: 'spaced' });
    expect(parseKeyValues('  ', what)).toEqual({});
  });

  it('reads JSON mappings and CloudFormation parameter lists', () => {
    expect(parseKeyValues('{"A": 1, "B": true}', what)).toEqual({ A: '1', B: 'true' });
    expect(parseKeyValues('[{"ParameterKey": "A", "ParameterValue": "x"}, {"Key": "B", "Value": 2}]', what)).toEqual({ A: 'x', B: '2' });
  });

  it('reads files named with file:// or by extension', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-'));
    writeFileSync(join(dir, 'p.yaml'), 'A: 1\nB: b\n');
    writeFileSync(join(dir, 'p.json'), '[{"ParameterKey":"C","ParameterValue":"c"}]');
    expect(parseKeyValues('file://p.yaml', what, dir)).toEqual({ A: '1', B: 'b' });
    expect(parseKeyValues(join(dir, 'p.json'), what)).toEqual({ C: 'c' });
  });

  it.each([
    ['A=1,B', `${what}: 'B' is not Key=Value (write pairs as Key=Value, separated by commas or new lines)`],
    ['=1', `${what}: '=1' is not Key=Value (write pairs as Key=Value, separated by commas or new lines)`],
    ['A=1,A=2', `${what}: 'A' is given more than once`],
    ['{"A": [1]}', `${what}: 'A' must have a plain value (text, number or boolean)`],
    ['[{"Name": "A"}]', `${what}: entry 1 must have ParameterKey and ParameterValue (or Key and Value) with a plain value`],
    ['{"A": 1', `${what}:1:8: invalid YAML: the text ends inside a flow collection`],
    ['file://missing.yaml', `${what}: file 'missing.yaml' does not exist`],
    ['{"a b!": 1}', `${what}: 'a b!' is not a valid key`],
  ])('rejects %s', (text, message) => {
    expect(() => parseKeyValues(text, what, tmpdir())).toThrow(message);
  });

  it('rejects a scalar document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-'));
    writeFileSync(join(dir, 'p.yml'), 'just text\n');
    expect(() => parseKeyValues('p.yml', what, dir)).toThrow(`${what} (file 'p.yml'): expected a mapping of Key: Value or a list of {ParameterKey, ParameterValue}`);
  });
});
