// Changes that destroy state: a resource removed, or replaced (always or maybe). A deploy refuses
// those that hit a stateful resource unless the workflow names it, because a template pointed at
// the wrong file would otherwise delete the model registry, the images and the data, and succeed.
import type { Change } from '@aws-sdk/client-cloudformation';
import type { Template } from '../../../core/cfn-template.js';

/** Resource types whose replacement or removal loses data or access. */
export const STATEFUL_TYPES = new Set(['AWS::S3::Bucket', 'AWS::SageMaker::ModelPackageGroup', 'AWS::ECR::Repository', 'AWS::IAM::Role']);

export function isDestructive(change: Change): boolean {
  const rc = change.ResourceChange ?? {};
  return rc.Action === 'Remove' || rc.Replacement === 'True' || rc.Replacement === 'Conditional';
}

/** Removals and replacements first, in the order CloudFormation gave them; then the rest. */
export function destructiveFirst(changes: Change[]): Change[] {
  return [...changes.filter(isDestructive), ...changes.filter((c) => !isDestructive(c))];
}

export interface Guard {
  /** Logical ids protected beyond the stateful types (the protected-resources input). */
  protected: string[];
  /** Logical ids the workflow allows to be removed or replaced (the allow-destructive-changes input). */
  allowed: string[];
}

/**
 * The destructive changes a deploy must not make: to a stateful type, a resource whose template
 * says DeletionPolicy or UpdateReplacePolicy Retain, or one listed as protected, unless allowed.
 */
export function refusedChanges(changes: Change[], template: Template, guard: Guard): Change[] {
  return changes.filter((c) => {
    if (!isDestructive(c)) return false;
    const { LogicalResourceId: id = '', ResourceType: type = '' } = c.ResourceChange ?? {};
    if (guard.allowed.includes(id)) return false;
    const declared = template.Resources[id];
    const retained = declared?.DeletionPolicy === 'Retain' || declared?.UpdateReplacePolicy === 'Retain';
    return STATEFUL_TYPES.has(type) || retained || guard.protected.includes(id);
  });
}

/** `ArtifactBucket (AWS::S3::Bucket, removed)`: how errors and summaries name a refused change. */
export function describeChange(c: Change): string {
  const rc = c.ResourceChange ?? {};
  const what = rc.Action === 'Remove' ? 'removed' : rc.Replacement === 'True' ? 'replaced' : 'may be replaced';
  return `${rc.LogicalResourceId} (${rc.ResourceType}, ${what})`;
}
