import * as fs from 'fs';
import { parseTrace, type TraceDispatch } from '../../runtime/core/pool/simulator/trace';

/** A trace file, parsed; errors name the file and the line. */
export function readTrace(file: string): TraceDispatch[] {
  return parseTrace(fs.readFileSync(file, 'utf8'), file);
}
