"""A fitted HistGradientBoostingClassifier compiled into flat arrays and evaluated for all trees at once.

sklearn evaluates one tree per call, each call a Python-to-Cython hop and an OpenMP region: with
~100 trees that is most of the time of scoring a small batch (1.3 ms for one row here). Here every
node of every tree lives in one set of arrays; each step of the loop moves every (row, tree) pair
that has not reached a leaf one level down with a few numpy operations, and pairs that reach a leaf
add its value to their row and drop out.

With categorical features sklearn first runs a ColumnTransformer: an OrdinalEncoder re-codes the
categorical columns (unknown and missing values become NaN) and moves them in front of the numeric
ones. That is compiled too, into a column order and each encoder's sorted categories.

The routing is sklearn's own (sklearn/ensemble/_hist_gradient_boosting/_predictor.pyx): a missing
value follows missing_go_to_left; a categorical value goes left when it is in the node's left
bitset, right when it is another known category, and an unknown category counts as missing; a
numeric value goes left when it is <= the threshold. `matches_sklearn` checks the result against
sklearn on probe rows, and the predictor falls back to sklearn when it does not match.
"""
from __future__ import annotations

import numpy as np

CATEGORY_CODES = 256  # sklearn bins categories into at most 255 codes (uint8)


def _bit(bitsets: np.ndarray, row: int, code: int) -> bool:
    return bool((int(bitsets[row, code >> 5]) >> (code & 31)) & 1)


class CompiledTrees:
    def __init__(self, model):
        if getattr(model, "n_trees_per_iteration_", None) != 1:
            raise ValueError("only binary classifiers can be compiled")
        self._compile_preprocessor(getattr(model, "_preprocessor", None))
        known, f_idx_map = model._bin_mapper.make_known_categories_bitsets()
        self.baseline = float(np.asarray(model._baseline_prediction).ravel()[0])
        # Internal nodes of all trees are numbered 0..I-1; leaves are coded as -(leaf id + 1).
        # child[2 * i] and child[2 * i + 1] are node i's left and right child, so one gather moves a pair.
        features, thresholds, missing_left, cat_rows, children, leaf_values, roots = [], [], [], [], [], [], []
        tables: list[np.ndarray] = []
        internal_count = 0
        for iteration in model._predictors:
            tree = iteration[0]
            nodes = tree.nodes
            leaf = nodes["is_leaf"].astype(bool)
            code = np.empty(len(nodes), dtype=np.intp)
            internal = np.flatnonzero(~leaf)
            code[internal] = np.arange(len(internal)) + internal_count
            leaves = np.flatnonzero(leaf)
            code[leaves] = -(np.arange(len(leaves)) + len(leaf_values) + 1)
            leaf_values.extend(nodes["value"][leaves].tolist())
            internal_count += len(internal)
            if leaf[0]:
                # A tree that is a single leaf adds the same value to every row.
                self.baseline += float(nodes["value"][0])
                leaf_values.pop()
                continue
            roots.append(code[0])
            for i in internal:
                features.append(int(nodes["feature_idx"][i]))
                thresholds.append(float(nodes["num_threshold"][i]))
                missing_left.append(bool(nodes["missing_go_to_left"][i]))
                children.extend((code[nodes["left"][i]], code[nodes["right"][i]]))
                if nodes["is_categorical"][i]:
                    cat_rows.append(len(tables))
                    tables.append(self._categorical_table(tree, nodes[i], known, f_idx_map))
                else:
                    cat_rows.append(-1)
        self.feature = np.array(features, dtype=np.intp)
        self.threshold = np.array(thresholds, dtype=np.float64)
        self.missing_right = ~np.array(missing_left, dtype=bool)
        self.cat_row = np.array(cat_rows, dtype=np.intp)
        self.child = np.array(children, dtype=np.intp)
        self.leaf_value = np.array(leaf_values, dtype=np.float64)
        self.roots = np.array(roots, dtype=np.intp)
        self.goes_right = ~np.array(tables) if tables else np.zeros((0, CATEGORY_CODES), dtype=bool)
        self.has_categorical = bool(tables)

    @staticmethod
    def _categorical_table(tree, node, known: np.ndarray, f_idx_map: np.ndarray) -> np.ndarray:
        """Per category code, whether the node sends it left (in its bitset, or unknown and missing goes left)."""
        go_left = np.zeros(CATEGORY_CODES, dtype=bool)
        for code in range(CATEGORY_CODES):
            if _bit(tree.raw_left_cat_bitsets, int(node["bitset_idx"]), code):
                go_left[code] = True
            elif not _bit(known, int(f_idx_map[int(node["feature_idx"])]), code):
                go_left[code] = bool(node["missing_go_to_left"])
        return go_left

    def _compile_preprocessor(self, preprocessor) -> None:
        self.source_columns: np.ndarray | None = None
        self.categories: list[np.ndarray] = []
        if preprocessor is None:
            return
        source = np.empty(preprocessor.n_features_in_, dtype=np.intp)
        for name, transformer, columns in preprocessor.transformers_:
            if name == "remainder":
                continue
            selected = np.flatnonzero(columns) if np.asarray(columns).dtype == bool else np.asarray(columns, dtype=np.intp)
            source[preprocessor.output_indices_[name]] = selected
            if name == "encoder":
                if preprocessor.output_indices_[name].start != 0:
                    raise ValueError("unexpected preprocessor layout: encoded columns do not come first")
                self.categories = [np.asarray(c, dtype=np.float64) for c in transformer.categories_]
        self.source_columns = source

    def transform(self, x: np.ndarray) -> np.ndarray:
        """What sklearn's preprocessor makes of x: encoded categorical columns first, then the numeric ones."""
        if self.source_columns is None:
            return np.ascontiguousarray(x, dtype=np.float64)
        out = np.ascontiguousarray(x[:, self.source_columns], dtype=np.float64)
        for j, categories in enumerate(self.categories):
            values = out[:, j]
            position = np.minimum(np.searchsorted(categories, values), len(categories) - 1)
            # NaN never equals a category, so missing values stay missing, as do unknown ones.
            out[:, j] = np.where(categories[position] == values, position, np.nan)
        return out

    def raw(self, x: np.ndarray) -> np.ndarray:
        x = self.transform(x)  # categorical columns now hold a known category's position or NaN
        n, width = x.shape
        flat = x.ravel()
        node = np.tile(self.roots, n)
        offset = np.repeat(np.arange(n, dtype=np.intp) * width, len(self.roots))
        reached_offsets, reached_leaves = [], []
        while node.size:
            value = flat[offset + self.feature[node]]
            go_right = value > self.threshold[node]
            missing = np.isnan(value)
            if self.has_categorical:
                table_row = self.cat_row[node]
                categorical = np.flatnonzero((table_row >= 0) & ~missing)
                if categorical.size:
                    go_right[categorical] = self.goes_right[table_row[categorical], value[categorical].astype(np.intp)]
            if missing.any():
                go_right[missing] = self.missing_right[node[missing]]
            node = self.child[2 * node + go_right]
            done = node < 0
            if done.any():
                # Pairs that reached a leaf drop out; their leaf values are summed once at the end.
                reached = np.flatnonzero(done)
                reached_offsets.append(offset[reached])
                reached_leaves.append(node[reached])
                active = np.flatnonzero(~done)
                node, offset = node[active], offset[active]
        rows = np.concatenate(reached_offsets) // width
        leaves = -np.concatenate(reached_leaves) - 1
        return self.baseline + np.bincount(rows, weights=self.leaf_value[leaves], minlength=n)

    def positive_probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(x)))


def matches_sklearn(compiled: CompiledTrees, model, probe: np.ndarray, tolerance: float = 1e-9) -> bool:
    return bool(np.allclose(compiled.positive_probability(probe), model.predict_proba(probe)[:, 1], rtol=0, atol=tolerance))
