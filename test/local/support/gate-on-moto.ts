import { startIamGate, type IamGate, type InvokeCallback } from '../../../runtime/local/iam';
import { startMoto, type MotoServer } from '../../support/moto-server';

export const REGION = 'us-east-1';
/** moto's default account, the gate's too. */
export const ACCOUNT = '123456789012';

/** moto, the IAM gate in front of it, and the client settings that reach moto directly (to set up what a test needs). */
export interface GateOnMoto {
  readonly moto: MotoServer;
  readonly gate: IamGate;
  readonly admin: { region: string; endpoint: string; forcePathStyle: boolean; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

export async function startGateOnMoto(invoke: InvokeCallback = async () => ({ payload: '{}' })): Promise<GateOnMoto> {
  const moto = await startMoto();
  const gate = await startIamGate({ upstream: moto.endpoint, region: REGION, accountId: ACCOUNT, invoke });
  return {
    moto,
    gate,
    admin: { region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } },
    async stop() {
      await gate.stop();
      await moto.stop();
    },
  };
}
