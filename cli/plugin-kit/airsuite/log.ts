import { Host, LogLevel } from "@extism/as-pdk";

/** The plugin's logs: the platform keeps them with the call that wrote them. */
export class Log {
  static debug(message: string): void {
    Host.log(LogLevel.Debug, message);
  }
  static info(message: string): void {
    Host.log(LogLevel.Info, message);
  }
  static warn(message: string): void {
    Host.log(LogLevel.Warn, message);
  }
  static error(message: string): void {
    Host.log(LogLevel.Error, message);
  }
}
