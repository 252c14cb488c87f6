// Types of flow-recording-job-types.js, for the tests that import it (in-process workers).
import type { RecordLine } from "../flow-records.js";

export declare const FLOW_TYPE: "test.flow";
export type FlowRecorder = (entry: RecordLine) => void;
export declare function fileRecorder(dir: string): FlowRecorder;
export declare function flowJobTypes(options: {
  record: FlowRecorder;
  worker?: string;
  isCrashed?: () => boolean;
}): unknown[];
declare const jobTypes: unknown[];
export default jobTypes;
