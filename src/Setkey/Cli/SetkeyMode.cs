namespace KernelIpsec.Setkey.Cli;

/// <summary>What the run does; the last of -c, -f, -D, -F, -x on the command line wins.</summary>
public enum SetkeyMode
{
    Script,
    Stdin,
    Dump,
    Flush,
    Promiscuous,
}
