// botocore's service models: every operation's HTTP binding, input and output shapes. The twin
// parses requests and writes responses from them, and checks requests against their constraints,
// so what it accepts and answers is what the published API describes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Member {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  /** A restXml/restJson payload member that streams (object bodies). */
  streaming?: boolean;
  flattened?: boolean;
  xmlAttribute?: boolean;
  timestampFormat?: TimestampFormat;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, Member>;
  required?: string[];
  member?: Member;
  key?: Member;
  value?: Member;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  flattened?: boolean;
  payload?: string;
  streaming?: boolean;
  locationName?: string;
  timestampFormat?: TimestampFormat;
  error?: { code?: string; httpStatusCode?: number };
}

export interface OperationModel {
  name: string;
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
}

interface ModelFile {
  metadata: { protocol: string; apiVersion: string; targetPrefix?: string; jsonVersion?: string; xmlNamespace?: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** One service's model, as botocore publishes it. */
export class ServiceModel {
  constructor(readonly name: string, private readonly file: ModelFile) {}

  get metadata(): ModelFile['metadata'] {
    return this.file.metadata;
  }

  get operations(): OperationModel[] {
    return Object.values(this.file.operations);
  }

  operation(name: string): OperationModel | undefined {
    return this.file.operations[name];
  }

  shape(name: string): Shape {
    const shape = this.file.shapes[name];
    if (!shape) throw new Error(`botocore's ${this.name} model has no shape ${name}`);
    return shape;
  }
}

/** botocore's data folder in the project's .venv, if it is installed. */
export function findBotocoreData(repoRoot: string): string | undefined {
  const lib = join(repoRoot, '.venv', 'lib');
  if (!existsSync(lib)) return undefined;
  for (const python of readdirSync(lib)) {
    const data = join(lib, python, 'site-packages', 'botocore', 'data');
    if (existsSync(data)) return data;
  }
  return undefined;
}

/** The models of one botocore data folder, each read once, when a request first needs it. */
export class ServiceModels {
  private readonly models = new Map<string, ServiceModel>();

  constructor(readonly dataDir: string) {}

  get(service: string): ServiceModel {
    let model = this.models.get(service);
    if (!model) {
      const dir = join(this.dataDir, service);
      if (!existsSync(dir)) throw new Error(`botocore's data in ${this.dataDir} has no model of ${service}`);
      const version = readdirSync(dir).sort().pop()!;
      const file = join(dir, version, 'service-2.json.gz');
      const text = existsSync(file) ? gunzipSync(readFileSync(file)).toString() : readFileSync(join(dir, version, 'service-2.json'), 'utf8');
      model = new ServiceModel(service, JSON.parse(text) as ModelFile);
      this.models.set(service, model);
    }
    return model;
  }
}
