using System.Text;

namespace KernelIpsec.Keyd.Ctl;

/// <summary>
/// getpass(3) as racoonctl -u uses it: the prompt, then one line without echo on a terminal; without a terminal
/// (stdin redirected, as in scripts: `printf '%s\n' "$PW" | racoonctl vpn-connect -u USER GW`) the line is read from
/// stdin. The prompt goes to stderr, the line's newline is dropped; null at end of input.
/// </summary>
internal static class Getpass
{
    public static string? Read(string prompt)
    {
        Console.Error.Write(prompt);
        Console.Error.Flush();
        if (Console.IsInputRedirected)
            return Console.In.ReadLine();
        var line = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length > 0)
                    line.Length--;
                continue;
            }
            if (key.KeyChar != '\0')
                line.Append(key.KeyChar);
        }
        // The newline the terminal did not echo.
        Console.Error.WriteLine();
        return line.ToString();
    }
}
