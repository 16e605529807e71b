import { runPipeline } from './run.js';
import { actionLogger, runAction } from '../../lib/action.js';

await runAction(() => runPipeline(process.env, actionLogger));
