namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>An SA endpoint: <c>address</c> or <c>address[port]</c> (ports matter for esp-udp).</summary>
public sealed record HostSpec(Lexeme Address, Lexeme? Port);
