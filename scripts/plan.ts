// `npm start`: an offline plan of the GitOps deploy. For every environment file it validates the
// file, resolves each template's parameters exactly as deploy-stack does, and shows what would be
// deployed where, or why it cannot be yet. Touches no AWS API.
import { readdirSync } from 'node:fs';
import { readDeployInputs } from '../actions/deploy-stack/src/inputs.js';
import { planDeployment } from '../actions/deploy-stack/src/plan.js';
import { listEnvironments, loadEnvironment } from '../core/environment/load.js';
import { describeError } from '../core/errors.js';

const templates = readdirSync('cloudformation').filter((f) => f.endsWith('.yaml')).sort();
let invalid = 0;

for (const name of listEnvironments()) {
  let env;
  try {
    env = loadEnvironment(name);
  } catch (error) {
    invalid++;
    console.log(`\n✗ ${name}: ${describeError(error)}`);
    continue;
  }
  const c = env.config;
  const model = c.model.version === null ? 'no version pinned yet' : `${c.model.packageGroup} v${c.model.version}`;
  console.log(`\n■ ${name}  account ${c.account}, ${c.region}, ${c.deployment.strategy} rollout, model: ${model}`);
  for (const template of templates) {
    const stackName = `sagemaker-gitops-${template.replace(/\.yaml$/, '')}${template === 'foundation.yaml' ? '' : `-${name}`}`;
    const inputs = readDeployInputs({ 'INPUT_TEMPLATE': `cloudformation/${template}`, 'INPUT_STACK-NAME': stackName, 'INPUT_ENVIRONMENT': name });
    try {
      const plan = planDeployment(inputs, {});
      const params = plan.parameters.map((p) => `${p.ParameterKey}=${p.ParameterValue}`).join(', ');
      console.log(`  ✓ ${template} → stack ${stackName}\n      ${params || '(template defaults only)'}`);
    } catch (error) {
      console.log(`  … ${template} → stack ${stackName}: not deployable yet:\n      ${describeError(error).replace(/\n/g, '\n      ')}`);
    }
  }
}

console.log('\nThis is a plan: nothing was deployed. The deploy-stack action does the same resolution, then deploys through change sets.');
if (invalid > 0) process.exit(1);
