import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A dashboard widget of a fixed size whose content is made when the dashboard is rendered (at synthesis, after
 * aspects ran), for panels that show what is found in the construct tree rather than what existed when the
 * dashboard was made: a function or alarm created later still appears.
 */
export class DeferredWidget implements cloudwatch.IWidget {
  private x = 0;
  private y = 0;

  constructor(public readonly width: number, public readonly height: number, private readonly make: () => cloudwatch.IWidget) {}

  public position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  public toJson(): any[] {
    const widget = this.make();
    widget.position(this.x, this.y);
    return widget.toJson();
  }
}
