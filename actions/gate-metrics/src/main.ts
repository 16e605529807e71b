import { runGate } from './run.js';
import { actionLogger, runAction } from '../../lib/action.js';

await runAction(() => runGate(process.env, actionLogger));
