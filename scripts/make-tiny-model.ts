// Builds the tiny sentence-embedding model the tests load through @huggingface/transformers:
// a BERT-style WordPiece tokenizer and an ONNX graph that is one Gather (token embeddings by id),
// written as ONNX protobuf by hand (no Python here). Vectors are chosen so tests can predict
// pooled outputs: each topic's words point along one axis; special tokens are zero.
// Run: npx tsx scripts/make-tiny-model.ts [OUT_DIR] (default test/fixtures/tiny-embedding-model)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const OUT = process.argv[2] ?? join(import.meta.dirname, '..', 'test', 'fixtures', 'tiny-embedding-model');
const DIM = 8;

// The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that this graph needs; field numbers as upstream.
const ONNX_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto { string name = 1; int64 i = 3; int32 type = 20; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4; repeated AttributeProto attribute = 5; }
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9; }
message TensorShapeProto { message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } } repeated Dimension dim = 1; }
message TypeProto { message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; } oneof value { Tensor tensor_type = 1; } }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message ModelProto { int64 ir_version = 1; string producer_name = 2; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
`;
const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
/** Topic words: every word of topic t embeds as the unit vector on axis t. */
const TOPICS = [
  ['graph', 'network', 'node', 'edge'],
  ['protein', 'cell', 'gene', 'folding'],
  ['language', 'text', 'translation', 'word'],
  ['image', 'vision', 'pixel', 'camera'],
  ['robot', 'control', 'motion', 'grasp'],
  ['quantum', 'qubit', 'entanglement', 'circuit'],
  ['the', 'of', 'a', 'for', 'and', 'in', 'on', 'to', 'with', '.', ','],
];
const SUFFIXES = ['##s', '##ing'];

function vocabulary(): string[] {
  return [...SPECIAL, ...TOPICS.flat(), ...SUFFIXES];
}

function embeddingTable(vocab: string[]): Float32Array {
  const table = new Float32Array(vocab.length * DIM);
  vocab.forEach((token, id) => {
    const row = table.subarray(id * DIM, (id + 1) * DIM);
    const topic = TOPICS.findIndex((words) => words.includes(token));
    if (token === '[UNK]') row[7] = 1;
    else if (topic >= 0 && topic < 6) row[topic] = 1;
    else if (topic === 6) row[6] = 0.1; // function words: a faint shared direction
    else if (token.startsWith('##')) row[7] = 0.5;
  });
  return table;
}

function tensorType(elemType: number, dims: Array<number | string>) {
  return { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } };
}

export function buildOnnx(vocabSize: number, table: Float32Array): Uint8Array {
  const root = protobuf.parse(ONNX_PROTO).root;
  const Model = root.lookupType('onnx.ModelProto');
  const model = {
    irVersion: 8,
    producerName: 'paperboy scripts/make-tiny-model.ts',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny_embedding',
      node: [{ name: 'lookup', opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', i: 0, type: ATTR_INT }] }],
      initializer: [{ name: 'embeddings', dataType: FLOAT, dims: [vocabSize, DIM], rawData: new Uint8Array(table.buffer, table.byteOffset, table.byteLength) }],
      input: [
        { name: 'input_ids', type: tensorType(INT64, ['batch_size', 'sequence_length']) },
        { name: 'attention_mask', type: tensorType(INT64, ['batch_size', 'sequence_length']) },
      ],
      output: [{ name: 'last_hidden_state', type: tensorType(FLOAT, ['batch_size', 'sequence_length', DIM]) }],
    },
  };
  const problem = Model.verify(model);
  if (problem) throw new Error(problem);
  return Model.encode(Model.fromObject(model)).finish();
}

function tokenizerJson(vocab: string[]) {
  const id = (t: string) => vocab.indexOf(t);
  const special = (t: string) => ({ id: id(t), content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
  };
}

function main(): void {
  const vocab = vocabulary();
  mkdirSync(join(OUT, 'onnx'), { recursive: true });
  const write = (file: string, data: unknown) => writeFileSync(join(OUT, file), JSON.stringify(data, null, 1) + '\n');
  write('config.json', { model_type: 'bert', architectures: ['BertModel'], hidden_size: DIM, vocab_size: vocab.length, max_position_embeddings: 512, num_hidden_layers: 0, num_attention_heads: 1 });
  write('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512,
    cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]',
  });
  write('tokenizer.json', tokenizerJson(vocab));
  writeFileSync(join(OUT, 'onnx', 'model.onnx'), buildOnnx(vocab.length, embeddingTable(vocab)));
  process.stdout.write(`wrote ${OUT} (${vocab.length} tokens × ${DIM} dims)\n`);
}

main();
