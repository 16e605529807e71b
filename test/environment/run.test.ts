import { describe, expect, it } from '@jest/globals';
import { runEnvironment } from '../../actions/environment/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { inputEnv } from '../deploy-stack/fixtures.js';

const run = (inputs: Record<string, string>) => runEnvironment(actionContext(inputEnv(inputs), memoryLogger()));

describe('environment', () => {
  it('gives the role, region, account and pinned version of an environment file', async () => {
    const result = await run({ 'name': 'dev', 'environments-dir': 'test/fixtures/environments' });
    expect(result.outputs).toEqual({
      'role-to-assume': 'arn:aws:iam::111111111111:role/deploy',
      'region': 'eu-west-1',
      'account': '111111111111',
      'model-package-group': 'churn-model',
      'model-version': 7,
      'model-package-arn': 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/7',
      'deployment-strategy': 'canary',
    });
  });

  it('leaves the model outputs empty while no version is pinned', async () => {
    const result = await run({ name: 'prod' });
    expect(result.outputs).toMatchObject({ 'model-version': '', 'model-package-arn': '', 'deployment-strategy': 'canary' });
  });

  it.each([
    ['a bad name', { name: 'Prod' }, "Input 'name' must be an environment name (lowercase letters, digits and hyphens, starting with a letter), got 'Prod'"],
    ['an unknown environment', { name: 'qa' }, "Unknown environment 'qa': environments/qa.yaml does not exist (available: dev, prod, staging)"],
    ['a file that breaks the schema', { 'name': 'invalid', 'environments-dir': 'test/fixtures/bad-environments' }, 'test/fixtures/bad-environments/invalid.yaml is not a valid environment file:'],
  ])('fails %s with what is allowed', async (_what, inputs, message) => {
    await expect(run(inputs)).rejects.toThrow(message);
  });
});
