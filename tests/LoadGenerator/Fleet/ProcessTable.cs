using System.Globalization;

namespace CreditBank.LoadGenerator.Fleet;

/// <summary>What Linux's /proc says about a process or a family of processes: memory peaks and CPU time used.</summary>
public static class ProcessTable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static double PeakResidentMegabytes(int pid) => StatusKilobytes(pid, "VmHWM:") / 1024.0;

    public static double ResidentMegabytes(int pid) => StatusKilobytes(pid, "VmRSS:") / 1024.0;

    /// <summary>Resets VmHWM to the current resident size, so the next peak is the next scenario's.</summary>
    public static void ResetPeakMemory(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>User + system CPU seconds of every process whose command line <paramref name="isMember"/> accepts.</summary>
    public static double CpuSeconds(Func<string, bool> isMember)
    {
        var total = 0.0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (isMember(commandLine))
                {
                    total += CpuSeconds(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total;
    }

    /// <summary>CPU seconds of the process whose pid file this is and of its children (PostgreSQL's postmaster and backends).</summary>
    public static double CpuSecondsOfFamily(string pidFile)
    {
        int parent;
        try
        {
            parent = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }

        var total = CpuSeconds(parent);
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && pid != parent && ParentOf(pid) == parent)
            {
                total += CpuSeconds(pid);
            }
        }

        return total;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return 0;
        }
    }

    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at field 3 (state); utime, stime, cutime and
            // cstime are fields 14–17. cutime/cstime hold children already reaped (PostgreSQL's ended backends).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// CPU seconds of each live thread of <paramref name="pid"/> whose name starts with <paramref name="threadName"/>
    /// (Linux keeps 15 characters: the runtime's tiered-compilation worker is ".NET Tiered Com"), by thread id.
    /// </summary>
    public static IReadOnlyDictionary<int, double> ThreadCpuSeconds(int pid, string threadName)
    {
        var threads = new Dictionary<int, double>();
        try
        {
            foreach (var folder in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (int.TryParse(Path.GetFileName(folder), out var tid)
                        && File.ReadAllText(Path.Combine(folder, "comm")).StartsWith(threadName, StringComparison.Ordinal))
                    {
                        var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        threads[tid] = fields[11..13].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / TicksPerSecond;
                    }
                }
                catch (IOException)
                {
                    // The thread ended while we looked.
                }
            }
        }
        catch (IOException)
        {
        }

        return threads;
    }

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
