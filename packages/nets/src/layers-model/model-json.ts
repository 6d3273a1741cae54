import { parseWeightsManifest, type WeightGroup } from '../tfjs/weights.ts';

/**
 * The parts of a TF.js layers-model `model.json` that building a network needs: the Keras functional
 * config (layers, their configs and inbound connections) and the weights manifest.
 */
export interface KerasLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Names of the layers whose outputs this layer reads, in order. */
  inbound: string[];
}

export interface LayersModelJson {
  name: string;
  layers: KerasLayer[];
  inputs: string[];
  outputs: string[];
  manifest: WeightGroup[];
}

export class LayersModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayersModelError';
  }
}

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** [[["LR", 0, 0, {}], …]] (Keras 2) → ["LR", …]; a layer called more than once is not supported. */
function parseInbound(file: string, name: string, nodes: unknown): string[] {
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1)
    throw new LayersModelError(
      `${file}: layer ${name} is called ${nodes.length} times; shared layers are not supported`,
    );
  const call = nodes[0];
  if (!Array.isArray(call))
    throw new LayersModelError(`${file}: layer ${name}: inbound_nodes is not in the Keras 2 list format`);
  return call.map((ref: unknown) => {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string')
      throw new LayersModelError(`${file}: layer ${name}: unreadable inbound node ${JSON.stringify(ref)}`);
    if (ref[2] !== 0 && ref[2] !== undefined)
      throw new LayersModelError(
        `${file}: layer ${name} reads output ${ref[2]} of ${ref[0]}; only single-output layers are supported`,
      );
    return ref[0];
  });
}

const refName = (file: string, what: string, r: unknown): string => {
  if (!Array.isArray(r) || typeof r[0] !== 'string')
    throw new LayersModelError(`${file}: ${what} entry ${JSON.stringify(r)} is not [name, node, tensor]`);
  return r[0];
};

export function parseModelJson(json: unknown, file = 'model.json'): LayersModelJson {
  if (!isObject(json)) throw new LayersModelError(`${file}: not a JSON object`);
  if (json.format !== undefined && json.format !== 'layers-model')
    throw new LayersModelError(`${file}: format "${json.format}" is not a layers-model`);
  const topology = isObject(json.modelTopology) ? json.modelTopology : undefined;
  const modelConfig = isObject(topology?.model_config) ? topology.model_config : topology;
  if (!isObject(modelConfig) || !isObject(modelConfig.config))
    throw new LayersModelError(`${file}: modelTopology has no model_config`);
  if (modelConfig.class_name !== 'Functional' && modelConfig.class_name !== 'Model')
    throw new LayersModelError(
      `${file}: model class "${modelConfig.class_name}" is not supported (Functional only)`,
    );
  const cfg = modelConfig.config;
  if (!Array.isArray(cfg.layers)) throw new LayersModelError(`${file}: model_config has no layers`);
  const layers: KerasLayer[] = cfg.layers.map((l: unknown, i: number) => {
    if (!isObject(l) || typeof l.class_name !== 'string')
      throw new LayersModelError(`${file}: layer #${i} has no class_name`);
    const config = isObject(l.config) ? l.config : {};
    const name = typeof l.name === 'string' ? l.name : String(config.name ?? `#${i}`);
    return { className: l.class_name, name, config, inbound: parseInbound(file, name, l.inbound_nodes) };
  });
  const inputs = (cfg.input_layers ?? []).map((r: unknown) => refName(file, 'input_layers', r));
  const outputs = (cfg.output_layers ?? []).map((r: unknown) => refName(file, 'output_layers', r));
  if (inputs.length === 0 || outputs.length === 0)
    throw new LayersModelError(`${file}: model_config names no input_layers or output_layers`);

  const manifest = parseWeightsManifest(json, file);
  return { name: String(cfg.name ?? 'model'), layers, inputs, outputs, manifest };
}
