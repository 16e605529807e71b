import { runDeploy } from './run.js';
import { actionLogger, runAction } from '../../lib/action.js';

await runAction(() => runDeploy(process.env, actionLogger));
