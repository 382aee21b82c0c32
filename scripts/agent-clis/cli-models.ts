/** What an installed agent CLI knows of models, read from its own package. */
export interface CliModels {
  /** The short names the CLI accepts for a model (`opus`, `flash`), and the model each resolves to. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Every model id the CLI's own catalog lists, sorted. */
  readonly models: readonly string[];
  /** Where in the package these were read: what to look at when the extraction breaks on a new version. */
  readonly source: string;
}
