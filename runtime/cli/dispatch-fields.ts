import type { DispatchInput } from '../client/dispatch-input';

/** A dispatch as the command line and the MCP tool take it: flat, a persistent workspace by its name. */
export interface DispatchFields extends Pick<DispatchInput, 'agent' | 'prompt' | 'model' | 'modelTier' | 'timeoutSeconds' | 'idempotencyKey' | 'maxCostUsd'> {
  readonly repositoryUrl?: string;
  readonly baseBranch?: string;
  readonly workspace?: string;
}

/** The body of `POST /dispatch`, leaving out what was not given so that the API applies its defaults. */
export function dispatchInput(fields: DispatchFields): DispatchInput {
  const { repositoryUrl, baseBranch, workspace, ...rest } = fields;
  const given = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Pick<DispatchInput, keyof typeof rest>;
  return {
    ...given,
    ...(repositoryUrl !== undefined && { repository: { url: repositoryUrl, ...(baseBranch !== undefined && { baseBranch }) } }),
    ...(workspace !== undefined && { workspace: { kind: 'persistent', name: workspace } }),
  };
}
