import * as vscode from 'vscode';
import { redactText } from '../core/redact';

/** Where the extension says what it does. Messages name hosts, ports and statuses; never a value. */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** The "SMTP Doctor" log output channel; every line goes through redaction first. */
export class OutputLog implements Log, vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('SMTP Doctor', { log: true });

  debug(message: string): void {
    this.channel.debug(redactText(message));
  }

  info(message: string): void {
    this.channel.info(redactText(message));
  }

  warn(message: string): void {
    this.channel.warn(redactText(message));
  }

  error(message: string, error?: unknown): void {
    const reason = error instanceof Error ? `: ${error.message}` : error === undefined ? '' : `: ${String(error)}`;
    this.channel.error(redactText(message + reason));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** A log that drops everything (the default where no channel is wired). */
export const NO_LOG: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
