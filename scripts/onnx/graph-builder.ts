/**
 * A small helper to assemble an ONNX graph node by node: named initializers
 * (weights stored as raw little-endian bytes), nodes with attributes, and
 * unique names for intermediate values.
 */
import { AttributeType, DataType, type AttributeMessage, type NodeMessage, type TensorMessage } from './onnx-schema.js';

export type AttributeValue = number | number[] | { float: number } | { tensor: TensorMessage };

export class GraphBuilder {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  private counter = 0;

  floats(name: string, dims: number[], values: Float32Array): string {
    return this.raw(name, dims, DataType.FLOAT, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  int8s(name: string, dims: number[], values: Int8Array): string {
    return this.raw(name, dims, DataType.INT8, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  int64s(name: string, dims: number[], values: number[]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    return this.raw(name, dims, DataType.INT64, new Uint8Array(data.buffer));
  }

  /** A float scalar (dims []). */
  scalar(name: string, value: number): string {
    return this.floats(name, [], new Float32Array([value]));
  }

  raw(name: string, dims: number[], dataType: number, rawData: Uint8Array): string {
    this.initializers.push({ name, dims, dataType, rawData });
    return name;
  }

  /** Adds one node; returns the names of its outputs (`outputs` of them). */
  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, outputs = 1): string[] {
    const id = (this.counter += 1);
    const names = Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}_${id}${outputs > 1 ? `_${i}` : ''}`);
    this.nodes.push({ name: `${opType}_${id}`, opType, input: inputs, output: names, attribute: Object.entries(attributes).map(([n, v]) => attribute(n, v)) });
    return names;
  }

  /** Names `value` as a graph output (an Identity node). */
  output(name: string, value: string): void {
    this.nodes.push({ name: `output_${name}`, opType: 'Identity', input: [value], output: [name], attribute: [] });
  }

  /** A node with exactly one output. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.node(opType, inputs, attributes)[0] as string;
  }
}

function attribute(name: string, value: AttributeValue): AttributeMessage {
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.TENSOR, t: value.tensor };
}
