/** How much a persistent workspace holds, as EFS meters it: what the ledger charges its storage by (docs/costs.md). */
export interface WorkspaceSize {
  readonly bytes: number;
  /**
   * False when the walk stopped short (its entry or time budget, an entry that vanished or could not be read):
   * `bytes` is then a lower bound.
   */
  readonly complete: boolean;
}
