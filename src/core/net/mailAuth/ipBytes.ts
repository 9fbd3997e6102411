// An IP address as bytes, shared by the SPF record reader (networks) and the macro expander (%{i}).

export interface IpBytes {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
}
