import { Duration } from 'aws-cdk-lib';

/** Thresholds of the platform's alarms, and its dashboard's name (`OutpostPlatformProps.monitoring`). */
export interface MonitoringOptions {
  /**
   * The share of API requests answered 5xx (0 to 1) that raises the API alarm, in two of three periods.
   * @default 0.05
   */
  readonly apiServerErrorRate?: number;
  /**
   * Errors of one handler within a period that raise its alarm.
   * @default 1
   */
  readonly handlerErrors?: number;
  /**
   * Failed runs of the warm pools' scaler, of the last five (it runs every minute), that raise its alarm. One
   * failed minute alone mends itself: the next run reconciles what it missed.
   * @default 3
   */
  readonly scalerFailedRuns?: number;
  /**
   * Dispatches the sweeper found stuck within a period that raise the alarm.
   * @default 1
   */
  readonly stuckDispatches?: number;
  /**
   * The period of the API, handler, dead-letter queue and stuck-dispatch alarms.
   * @default Duration.minutes(5)
   */
  readonly alarmPeriod?: Duration;
  /**
   * The dashboard's name.
   * @default - one CloudFormation generates
   */
  readonly dashboardName?: string;
}
