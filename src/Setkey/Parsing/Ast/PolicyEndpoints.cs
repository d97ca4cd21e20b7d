namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>Tunnel endpoints of a request: <c>A-B</c> or <c>A[port]-B[port]</c>.</summary>
public sealed record PolicyEndpoints(Lexeme Source, Lexeme? SourcePort, Lexeme Destination, Lexeme? DestinationPort);
