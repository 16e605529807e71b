// strategy.matrix as GitHub expands it: the product of the lists, minus each exclude that matches,
// then each include added to every combination it extends without overwriting one of the
// product's values, or, if it extends none, as a combination of its own.

export type Combination = Record<string, unknown>;

export class MatrixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatrixError';
  }
}

const matches = (combination: Combination, filter: Combination) =>
  Object.entries(filter).every(([k, v]) => JSON.stringify(combination[k]) === JSON.stringify(v));

export function expandMatrix(matrix: unknown, job: string): Combination[] {
  if (matrix === undefined || matrix === null) return [{}];
  if (typeof matrix !== 'object' || Array.isArray(matrix)) throw new MatrixError(`job '${job}': strategy.matrix must be a mapping`);
  const { include = [], exclude = [], ...axes } = matrix as Record<string, unknown>;
  if (!Array.isArray(include) || !Array.isArray(exclude)) throw new MatrixError(`job '${job}': strategy.matrix include and exclude must be lists`);
  let product: Combination[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new MatrixError(`job '${job}': strategy.matrix.${key} must be a list`);
    if (values.length === 0) throw new MatrixError(`job '${job}': strategy.matrix.${key} is empty`);
    product = product.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (Object.keys(axes).length === 0) product = [];
  product = product.filter((c) => !(exclude as Combination[]).some((e) => matches(c, e)));
  const originals = product.map((c) => ({ ...c }));
  const extra: Combination[] = [];
  for (const inc of include as Combination[]) {
    let extended = false;
    product.forEach((c, i) => {
      // An include may add keys to a combination, and overwrite only what an earlier include added.
      const clashes = Object.entries(inc).some(([k, v]) => k in originals[i] && JSON.stringify(originals[i][k]) !== JSON.stringify(v));
      if (!clashes) {
        Object.assign(c, inc);
        extended = true;
      }
    });
    if (!extended) extra.push({ ...inc });
  }
  const all = [...product, ...extra];
  if (all.length === 0) throw new MatrixError(`job '${job}': strategy.matrix gives no combination`);
  if (all.length > 256) throw new MatrixError(`job '${job}': strategy.matrix gives ${all.length} combinations; GitHub allows at most 256`);
  return all;
}

/** A matrix job's display name: `build (a, b)`, the combination's values in order. */
export function matrixName(name: string, combination: Combination): string {
  const values = Object.values(combination);
  if (values.length === 0) return name;
  return `${name} (${values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')})`;
}
