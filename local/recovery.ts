// After a restart, operations that were running in the previous process are gone. Leave their
// resources in the states AWS would show after such a failure, rather than in progress forever.
import type { Stack } from './cloudformation/stacks.js';
import type { Endpoint } from './sagemaker/hosting/state.js';
import type { Store } from './store.js';

const REASON = 'The offline twin stopped while this operation was running';

const FAILED_STATE: Record<string, string> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

export function recoverInterrupted(store: Store): void {
  const stacks = store.all<Stack>('cloudformation-stacks');
  for (const [key, s] of stacks.entries()) {
    const next = FAILED_STATE[s.status];
    if (next) stacks.update(key, (x) => Object.assign(x, { status: next, statusReason: REASON }));
  }
  const endpoints = store.all<Endpoint>('sagemaker-endpoints');
  for (const [key, e] of endpoints.entries()) {
    if (e.status === 'Creating') {
      endpoints.update(key, (x) => Object.assign(x, { status: 'Failed', failureReason: REASON }));
    } else if (e.status === 'Updating' || e.status === 'RollingBack') {
      endpoints.update(key, (x) => Object.assign(x, { status: 'InService', pending: undefined, routes: [{ configName: x.configName, share: 1 }], failureReason: REASON }));
    } else if (e.status === 'Deleting') {
      endpoints.delete(key);
    }
  }
}
