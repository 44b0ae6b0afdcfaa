using System.Diagnostics;

namespace CreditBank.Portal.Tests;

/// <summary>Reads a QR code as a phone would, with zbar's <c>zbarimg</c> (Debian's zbar-tools; scripts/test.sh installs it).</summary>
public static class QrCodes
{
    /// <summary>The text of the one QR code in a PNG.</summary>
    public static async Task<string> ReadAsync(byte[] png)
    {
        var file = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, png, TestContext.Current.CancellationToken);
        try
        {
            using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("zbarimg did not start: apt-get install zbar-tools (scripts/test.sh does it).");
            var text = await zbar.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await zbar.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(zbar.ExitCode == 0, $"zbarimg found no QR code (exit {zbar.ExitCode}): {await zbar.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
            return text.TrimEnd('\n');
        }
        finally
        {
            File.Delete(file);
        }
    }
}
