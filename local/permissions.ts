/** A token's scopes: what a workflow's `permissions:` gives its GITHUB_TOKEN, and what the GitHub stand-in checks a request against. */
export type Permissions = Record<string, 'read' | 'write' | 'none'>;
