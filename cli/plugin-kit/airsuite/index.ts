// AirSuite's plugin kit for AssemblyScript: `import { … } from "airsuite"` in a plugin that
// `airsuite plugin build` compiles. Typed calls over Extism's as-pdk and AirSuite's host functions.
export { pluginAbort } from "./abort";
export { config } from "./config";
export { emitEvent, EmittedEvent } from "./events";
export { callHost, HostAnswer, HostError } from "./host-call";
export { fail, inputBytes, inputJson, inputString, outputBytes, outputJson, outputString } from "./io";
export { Json, JsonKind, JsonValue } from "./json-value";
export { KvDeleted, kvDelete, kvGet, kvSet, KvValue } from "./kv";
export { Log } from "./log";
export {
  AirtableRecord,
  getRecord,
  listRecords,
  ListRecords,
  RecordAnswer,
  RecordsAnswer,
  SortBy,
  WriteAction,
  WriteAnswer,
  writeRecords,
} from "./records";
export { adjustWrite, allowWrite, GuardedWrite, guardedWrite, refuseWrite } from "./write-guard";
