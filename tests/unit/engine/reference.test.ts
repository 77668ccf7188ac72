/**
 * All 67 quantities of ch03-reference.json (real PyTorch 1.13.1, CPU, no MKL), computed by the
 * engine: random weights and dropout masks bit for bit, everything else within 1e-6.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	CausalAttention,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	SelfAttention_v1,
	SelfAttention_v2,
	allAttentionScores,
	attentionScores,
	batchedMatmul,
	causalAttentionWeights,
	causalMask,
	contextVector,
	contextVectors,
	dot,
	dropout,
	initEngine,
	manualSeed,
	maskAndRenormalize,
	maskWithNegInf,
	matmul,
	naiveNormalize,
	naiveSoftmax,
	projectQKV,
	scaledAttentionWeights,
	softmax,
	softmaxRows,
	sum,
	transpose,
	transposeLastTwo,
	type Matrix,
	type NestedArray,
	type Tensor3,
	type Vector
} from '../../../src/lib/engine/index.js';
import {
	expectBits,
	expectClose,
	fixturePath,
	loadReference,
	numeric,
	sharedReferencePath
} from './helpers.js';

const { quantities, byName } = loadReference();
const ref = (name: string): unknown => numeric(byName.get(name)!.values);

/** The book's inputs, parsed from the PyTorch line that made them (not from the expected values). */
function bookInputs(): Matrix {
	const code = byName.get('inputs')!.code;
	return JSON.parse(code.slice(code.indexOf('['), code.lastIndexOf(']') + 1)) as Matrix;
}

const batch = (): Tensor3 => [bookInputs(), bookInputs()];
const scores2 = (): Vector => attentionScores(bookInputs(), 1).scores;
const weights2 = (): Vector => softmax(scores2()).weights;
const allWeights = (): Matrix => softmaxRows(allAttentionScores(bookInputs())).weights;

function rand123(): { W_query: Matrix; W_key: Matrix; W_value: Matrix } {
	const g = manualSeed(123);
	return {
		W_query: g.rand([3, 2]) as Matrix,
		W_key: g.rand([3, 2]) as Matrix,
		W_value: g.rand([3, 2]) as Matrix
	};
}

function qkv(): { queries: Matrix; keys: Matrix; values: Matrix } {
	const w = rand123();
	return projectQKV(bookInputs(), w.W_query, w.W_key, w.W_value);
}

const qkvScores2 = (): Vector => matmul([qkv().queries[1]], transpose(qkv().keys))[0];

function saV2(): SelfAttention_v2 {
	manualSeed(789);
	return new SelfAttention_v2(3, 2);
}

const causalSteps = () => saV2().forwardWithSteps(bookInputs());

function ca(): CausalAttention {
	manualSeed(123);
	return new CausalAttention(3, 2, 6, 0.0);
}

function wrapper(): MultiHeadAttentionWrapper {
	manualSeed(123);
	return new MultiHeadAttentionWrapper(3, 2, 6, 0.0, 2);
}

function mha(): MultiHeadAttention {
	manualSeed(123);
	return new MultiHeadAttention(3, 2, 6, 0.0, 2);
}

const ones6 = (): Matrix => Array.from({ length: 6 }, () => new Array<number>(6).fill(1));
const a4 = (): NestedArray => ref('batched_matmul.a') as NestedArray;

type Check = { exact: boolean; compute: () => unknown };
const bits = (compute: () => unknown): Check => ({ exact: true, compute });
const close = (compute: () => unknown): Check => ({ exact: false, compute });

const table: Record<string, Check> = {
	inputs: bits(() => bookInputs().map((r) => r.map(Math.fround))),
	'simple.attn_scores_2': close(scores2),
	'simple.dot_x1_q2_loop': close(() => dot(bookInputs()[0], bookInputs()[1]).value),
	'simple.dot_x1_q2': close(() => allAttentionScores(bookInputs())[0][1]),
	'simple.attn_weights_2_tmp': close(() => naiveNormalize(scores2()).weights),
	'simple.attn_weights_2_tmp_sum': close(() => sum(naiveNormalize(scores2()).weights)),
	'simple.attn_weights_2_naive': close(() => naiveSoftmax(scores2()).weights),
	'simple.attn_weights_2_naive_sum': close(() => sum(naiveSoftmax(scores2()).weights)),
	'simple.attn_weights_2': close(weights2),
	'simple.attn_weights_2_sum': close(() => sum(weights2())),
	'simple.context_vec_2': close(() => contextVector(weights2(), bookInputs()).vector),
	'simple.attn_scores_loop': close(() =>
		bookInputs().map((a) => bookInputs().map((b) => dot(a, b).value))
	),
	'simple.attn_scores': close(() => allAttentionScores(bookInputs())),
	'simple.attn_weights': close(allWeights),
	'simple.attn_weights_row_sums': close(
		() => softmaxRows(allAttentionScores(bookInputs())).rowSums
	),
	'simple.row_2_sum_python': close(() => {
		// Python's sum() of the printed 4-decimal row: plain doubles, no engine involved.
		const code = byName.get('simple.row_2_sum_python')!.code;
		const row = JSON.parse(code.slice(code.indexOf('['), code.indexOf(']') + 1)) as number[];
		return row.reduce((s, x) => s + x, 0);
	}),
	'simple.all_context_vecs': close(() => contextVectors(allWeights(), bookInputs())),
	'rand123.W_query': bits(() => rand123().W_query),
	'rand123.W_key': bits(() => rand123().W_key),
	'rand123.W_value': bits(() => rand123().W_value),
	'qkv.query_2': close(() => qkv().queries[1]),
	'qkv.key_2': close(() => qkv().keys[1]),
	'qkv.value_2': close(() => qkv().values[1]),
	'qkv.keys': close(() => qkv().keys),
	'qkv.values': close(() => qkv().values),
	'qkv.attn_score_22': close(() => dot(qkv().queries[1], qkv().keys[1]).value),
	'qkv.attn_scores_2': close(qkvScores2),
	'qkv.attn_weights_2': close(() => scaledAttentionWeights(qkvScores2(), 2).weights),
	'qkv.context_vec_2': close(
		() => contextVector(scaledAttentionWeights(qkvScores2(), 2).weights, qkv().values).vector
	),
	'sa_v1.output': close(() => {
		manualSeed(123);
		return new SelfAttention_v1(3, 2).forward(bookInputs());
	}),
	'linear789.W_query.weight': bits(() => saV2().parameters()['W_query.weight']),
	'linear789.W_key.weight': bits(() => saV2().parameters()['W_key.weight']),
	'linear789.W_value.weight': bits(() => saV2().parameters()['W_value.weight']),
	'sa_v2.output': close(() => saV2().forward(bookInputs())),
	'causal.queries': close(() => causalSteps().queries),
	'causal.keys': close(() => causalSteps().keys),
	'causal.attn_scores': close(() => causalSteps().attn_scores),
	'causal.attn_weights_unmasked': close(() => causalSteps().attn_weights),
	'causal.mask_simple': bits(() => causalMask(6)),
	'causal.masked_simple': close(() => maskAndRenormalize(causalSteps().attn_weights).masked),
	'causal.masked_simple_norm': close(
		() => maskAndRenormalize(causalSteps().attn_weights).normalized
	),
	'causal.masked': close(() => maskWithNegInf(causalSteps().attn_scores)),
	'causal.attn_weights': close(() => causalAttentionWeights(causalSteps().attn_scores, 2).weights),
	'dropout123.ones': bits(() => {
		manualSeed(123);
		return dropout(ones6(), 0.5).output;
	}),
	'dropout123.attn_weights': close(() => {
		const w = causalAttentionWeights(causalSteps().attn_scores, 2).weights;
		manualSeed(123);
		return dropout(w, 0.5).output;
	}),
	'extra.dropout123_p0.1.ones': bits(() => {
		manualSeed(123);
		return dropout(ones6(), 0.1).output;
	}),
	'linear123.ca.W_query.weight': bits(() => ca().parameters()['W_query.weight']),
	'linear123.ca.W_key.weight': bits(() => ca().parameters()['W_key.weight']),
	'linear123.ca.W_value.weight': bits(() => ca().parameters()['W_value.weight']),
	'causal_attention.context_vecs': close(() => ca().forward(batch())),
	'linear123.mha_wrapper.heads0.W_query.weight': bits(
		() => wrapper().parameters()['heads.0.W_query.weight']
	),
	'linear123.mha_wrapper.heads0.W_key.weight': bits(
		() => wrapper().parameters()['heads.0.W_key.weight']
	),
	'linear123.mha_wrapper.heads0.W_value.weight': bits(
		() => wrapper().parameters()['heads.0.W_value.weight']
	),
	'linear123.mha_wrapper.heads1.W_query.weight': bits(
		() => wrapper().parameters()['heads.1.W_query.weight']
	),
	'linear123.mha_wrapper.heads1.W_key.weight': bits(
		() => wrapper().parameters()['heads.1.W_key.weight']
	),
	'linear123.mha_wrapper.heads1.W_value.weight': bits(
		() => wrapper().parameters()['heads.1.W_value.weight']
	),
	'mha_wrapper.context_vecs': close(() => wrapper().forward(batch())),
	'linear123.mha.W_query.weight': bits(() => mha().parameters()['W_query.weight']),
	'linear123.mha.W_key.weight': bits(() => mha().parameters()['W_key.weight']),
	'linear123.mha.W_value.weight': bits(() => mha().parameters()['W_value.weight']),
	'linear123.mha.out_proj.weight': bits(() => mha().parameters()['out_proj.weight']),
	'linear123.mha.out_proj.bias': bits(() => mha().parameters()['out_proj.bias']),
	'mha.context_vecs': close(() => mha().forward(batch())),
	// An input: the engine's float32 round trip (transpose twice) keeps its exact bits.
	'batched_matmul.a': bits(() => transposeLastTwo(transposeLastTwo(a4()))),
	'batched_matmul.a_at_aT': close(() => batchedMatmul(a4(), transposeLastTwo(a4()))),
	'batched_matmul.first_res': close(() => {
		const m = (a4() as Matrix[][])[0][0];
		return matmul(m, transpose(m));
	}),
	'batched_matmul.second_res': close(() => {
		const m = (a4() as Matrix[][])[0][1];
		return matmul(m, transpose(m));
	})
};

describe('ch03-reference.json fixture', () => {
	it('has 67 quantities and the table covers exactly them', () => {
		expect(quantities).toHaveLength(67);
		expect(Object.keys(table).sort()).toEqual(quantities.map((q) => q.name).sort());
	});

	it('is an exact copy of the shared reference when shared/ sits beside the checkout', () => {
		const copy = readFileSync(fixturePath, 'utf8');
		const shared = existsSync(sharedReferencePath)
			? readFileSync(sharedReferencePath, 'utf8')
			: copy;
		expect(copy).toBe(shared);
	});
});

describe.each(['wasm', 'cpu'] as const)('reference quantities on %s', (backend) => {
	beforeAll(async () => {
		expect(await initEngine(backend)).toBe(backend);
	});

	it.each(quantities.map((q) => [q.name, q] as const))('%s', (name, q) => {
		const check = table[name];
		const got = check.compute();
		if (check.exact) expectBits(got, q.float32_bits_hex, numeric(q.values), name);
		else expectClose(got, numeric(q.values), 1e-6, name);
	});
});
