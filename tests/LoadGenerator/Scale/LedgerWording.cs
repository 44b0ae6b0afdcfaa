namespace CreditBank.LoadGenerator.Scale;

/// <summary>
/// The ledger lines a generated deposit or reversal can carry: a recognised outcome's kind, description and actor, worded
/// exactly as the accounts service words them (<c>存入 · title · institution code</c>, <c>institution:code</c>, and
/// <c>冲正 · reason · deposit description</c>). Titles follow recognition's formats for each kind. Built once, picked
/// from for every entry, so twenty million entries cost no string formatting.
/// </summary>
internal sealed class LedgerWording
{
    private static readonly string[] ReasonCodes = ["CERTIFICATE_WITHDRAWN", "SUBMITTED_IN_ERROR", "FRAUD"];

    private readonly Line[] _lines;

    public LedgerWording(Random random)
    {
        var institutions = Enumerable.Range(0, 48).Select(i => $"41500{12600 + i * 37:D5}").ToArray();
        var lines = new List<Line>();
        // Weights by kind: courses most of all, then certificates and training; awards and informal outcomes are rarer.
        Add(lines, random, institutions, 1, 45, r => $"{Pick(r, Courses)} ({Pick(r, Terms)})");
        Add(lines, random, institutions, 2, 15, r => $"{Pick(r, SkillCertificates)} {Pick(r, ["初级", "中级", "高级"])} ({CertificateNumber(r, "X")})");
        Add(lines, random, institutions, 3, 8, r => $"{Pick(r, Qualifications)} {Pick(r, ["五级/初级工", "四级/中级工", "三级/高级工", "二级/技师"])} ({CertificateNumber(r, "Q")})");
        Add(lines, random, institutions, 4, 4, r => $"{Pick(r, SpecialAbilities)} ({CertificateNumber(r, "S")})");
        Add(lines, random, institutions, 5, 15, r => $"{Pick(r, Trainings)} {8 * r.Next(1, 9)} 学时 ({new DateOnly(2023, 1, 1).AddDays(r.Next(1000)):yyyy-MM-dd})");
        Add(lines, random, institutions, 6, 5, r => $"{Pick(r, Competitions)} {Pick(r, ["国家级", "省级", "市级", "校级"])}{Pick(r, ["一等奖", "二等奖", "三等奖"])} ({CertificateNumber(r, "A")})");
        Add(lines, random, institutions, 7, 8, r => $"{Pick(r, InformalOutcomes)} · {8 * r.Next(1, 13)} 小时");
        _lines = [.. lines];
    }

    public int Count => _lines.Length;

    public int OutcomeKind(int line) => _lines[line].OutcomeKind;

    public string Actor(int line) => _lines[line].Actor;

    public string DepositDescription(int line) => _lines[line].Deposit;

    public string ReversalDescription(int line, int reason) => _lines[line].Reversals[reason];

    public static int Reasons => ReasonCodes.Length;

    private static void Add(List<Line> lines, Random random, string[] institutions, int kind, int weight, Func<Random, string> title)
    {
        for (var i = 0; i < weight * 8; i++)
        {
            var institution = Pick(random, institutions);
            var deposit = $"存入 · {title(random)} · {institution}";
            lines.Add(new Line(kind, deposit, $"institution:{institution}", [.. ReasonCodes.Select(reason => $"冲正 · {reason} · {deposit}")]));
        }
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    private static string CertificateNumber(Random random, string series) => $"{random.Next(2021, 2026)}-{series}{random.Next(10_000_000):D7}";

    private sealed record Line(int OutcomeKind, string Deposit, string Actor, string[] Reversals);

    private static readonly string[] Courses =
    [
        "CS101 数据结构", "MA102 高等数学", "EN103 大学英语", "CS204 操作系统", "EE110 电路基础", "AC120 基础会计",
        "ME130 机械制图", "CS150 Python 程序设计", "NU140 护理学基础", "MK160 市场营销", "CS230 数据库原理", "LA170 经济法",
    ];

    private static readonly string[] Terms = ["2022-2023-2", "2023-2024-1", "2023-2024-2", "2024-2025-1", "2024-2025-2", "2025-2026-1"];

    private static readonly string[] SkillCertificates =
    [
        "Web 前端开发职业技能等级证书", "云计算平台运维与开发职业技能等级证书", "大数据应用开发职业技能等级证书", "智能财税职业技能等级证书",
        "工业机器人操作与运维职业技能等级证书",
    ];

    private static readonly string[] Qualifications = ["电工", "焊工", "育婴员", "保育师", "中式烹调师", "汽车维修工"];

    private static readonly string[] SpecialAbilities = ["普通话水平测试 二级甲等", "电子商务网店运营", "茶艺服务", "手机维修"];

    private static readonly string[] Trainings = ["新型学徒制企业培训", "安全生产专项培训", "社区老年照护培训", "数字技能提升培训"];

    private static readonly string[] Competitions = ["全国职业院校技能大赛", "重庆市职业技能大赛", "“互联网+”大学生创新创业大赛"];

    private static readonly string[] InformalOutcomes =
    [
        "机器学习 · 中国大学MOOC", "项目管理实务 · 学堂在线", "社区志愿服务 · 渝中区志愿者协会", "企业岗位实践 · 重庆长安汽车",
    ];
}
