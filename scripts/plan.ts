// An offline plan of the GitOps deploy. For every environment file it validates the file,
// resolves each template's parameters exactly as deploy-stack does, and shows what would be
// deployed where, or why it cannot be yet. Touches no AWS API.
import { readdirSync } from 'node:fs';
import type { DeployRequest } from '../actions/deploy-stack/src/inputs.js';
import { planDeployment } from '../actions/deploy-stack/src/plan.js';
import { listEnvironments, loadEnvironment, type LoadedEnvironment } from '../core/environment/load.js';
import { describeError } from '../core/errors.js';

const templates = readdirSync('cloudformation').filter((f) => f.endsWith('.yaml')).sort();
let invalid = 0;

/** The request deploy-stack gets for one template in one environment, with the action's defaults. */
function requestFor(template: string, stackName: string, environment: LoadedEnvironment): DeployRequest {
  return {
    mode: 'plan',
    templatePath: `cloudformation/${template}`,
    stackName,
    environment,
    parameterOverrides: {},
    capabilities: ['CAPABILITY_IAM'],
    tags: [],
    failOnEmptyChangeSet: false,
    timeoutMinutes: 60,
    comment: false,
    guard: { protected: [], allowed: [] },
  };
}

for (const name of listEnvironments()) {
  let environment;
  try {
    environment = loadEnvironment(name);
  } catch (error) {
    invalid++;
    console.log(`\n✗ ${name}: ${describeError(error)}`);
    continue;
  }
  const c = environment.config;
  const model = c.model.version === null ? 'no version pinned yet' : `${c.model.packageGroup} v${c.model.version}`;
  console.log(`\n■ ${name}  account ${c.account}, ${c.region}, ${c.deployment.strategy} rollout, model: ${model}`);
  for (const template of templates) {
    const stackName = `sagemaker-gitops-${template.replace(/\.yaml$/, '')}${template === 'foundation.yaml' ? '' : `-${name}`}`;
    try {
      const plan = planDeployment(requestFor(template, stackName, environment), () => c.region);
      const params = plan.parameters.map((p) => `${p.ParameterKey}=${p.ParameterValue}`).join(', ');
      console.log(`  ✓ ${template} → stack ${stackName}\n      ${params || '(template defaults only)'}`);
    } catch (error) {
      console.log(`  … ${template} → stack ${stackName}: not deployable yet:\n      ${describeError(error).replace(/\n/g, '\n      ')}`);
    }
  }
}

console.log('\nThis is a plan: nothing was deployed. The deploy-stack action does the same resolution, then deploys through change sets.');
if (invalid > 0) process.exit(1);
