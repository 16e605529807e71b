import { runApprove } from './run.js';
import { actionLogger, runAction } from '../../lib/action.js';

await runAction(() => runApprove(process.env, actionLogger));
