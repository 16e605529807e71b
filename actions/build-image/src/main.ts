import { runBuild } from './run.js';
import { actionLogger, runAction } from '../../lib/action.js';

await runAction(() => runBuild(process.env, actionLogger));
