using System.Text;
using BenchmarkDotNet.Attributes;
using CreditBank.Recognition.Batches;

namespace CreditBank.Benchmarks;

/// <summary>
/// The batch upload's file path without the database: a 10,000-line CSV file (every kind of outcome, quoted fields with
/// commas) read from a stream into BatchLines with their problems, as <c>POST /v1/batches:upload</c> reads it.
/// </summary>
[MemoryDiagnoser]
public class BatchCsvReading
{
    private const string Header =
        "kind,document_number,name,course_code,title,credits,hours,term,grade_scheme,grade,certificate_name,level,certificate_number,issue_date";

    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(i % 3 == 2
                ? $"SKILL_CERTIFICATE,500228200501011237,张三,,,,,,,,Web 前端开发职业技能等级证书,中级,WEB-2025-{i:D6},2025-06-30\n"
                : $"COURSE,500228200501011237,张三,CS{i % 500:D3},\"计算机网络, 基础 {i}\",3,48,2025-2026-2,FIVE_LEVEL,优,,,,\n");
        }

        _file = Encoding.UTF8.GetBytes(text.ToString());
    }

    [Benchmark]
    public async Task<int> ReadFile()
    {
        var lines = 0;
        using var file = await CsvBatchFile.OpenAsync(new MemoryStream(_file), new UTF8Encoding(false, true), CancellationToken.None);
        while (await file.NextAsync(CancellationToken.None) is { } next)
        {
            lines += next.Line.OutcomeCase == 0 ? 0 : 1;
        }

        return lines;
    }
}
