import { runRegister } from './run.js';
import { actionLogger, runAction } from '../../lib/action.js';

await runAction(() => runRegister(process.env, actionLogger));
