// Minimal typing for smpp@0.5.1 (the package ships none): only what Sabiá's SMSC and ESME use.
// PDUs are dynamic bags of fields named as in the SMPP 3.4 spec, hence the index signature.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    interface Pdu {
      command: string;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): Pdu;
    }

    type PduShortcut = (
      options?: Record<string, unknown>,
      onResponse?: (pdu: Pdu) => void,
      onSent?: (pdu: Pdu) => void,
    ) => boolean;

    interface Session extends EventEmitter {
      socket: Socket;
      send(pdu: Pdu, onResponse?: (pdu: Pdu) => void, onSent?: (pdu: Pdu) => void): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      bind_transceiver: PduShortcut;
      bind_transmitter: PduShortcut;
      bind_receiver: PduShortcut;
      submit_sm: PduShortcut;
      deliver_sm: PduShortcut;
      enquire_link: PduShortcut;
      unbind: PduShortcut;
    }

    interface Server extends NetServer {
      sessions: Session[];
      on(event: 'session', listener: (session: Session) => void): this;
      on(event: string, listener: (...args: any[]) => void): this;
    }

    interface TlvType {
      read(buffer: Buffer, offset: number, length?: number): unknown;
      write(value: unknown, buffer: Buffer, offset: number): void;
      size(value: unknown): number;
    }

    interface TlvDefinition {
      id: number;
      type: TlvType;
      tag?: string;
    }

    const types: { tlv: { int8: TlvType; int16: TlvType; int32: TlvType; cstring: TlvType; string: TlvType; buffer: TlvType } };
    const tlvs: Record<string, TlvDefinition | undefined>;
    const errors: {
      ESME_ROK: number;
      ESME_RINVCMDID: number;
      ESME_RINVBNDSTS: number;
      ESME_RALYBND: number;
      ESME_RSYSERR: number;
      ESME_RBINDFAIL: number;
      ESME_RTHROTTLED: number;
    };

    function createServer(options?: Record<string, unknown>, listener?: (session: Session) => void): Server;
    function connect(options: { host: string; port: number; tls?: boolean; auto_enquire_link_period?: number }, listener?: () => void): Session;
    function addTLV(tag: string, options: TlvDefinition): void;
  }

  export = smpp;
}
