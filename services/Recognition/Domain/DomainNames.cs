namespace CreditBank.Recognition.Domain;

/// <summary>The names the bank's users read for levels and ranks.</summary>
public static class DomainNames
{
    public static string ToChinese(this SkillLevel level) => level switch
    {
        SkillLevel.Elementary => "初级",
        SkillLevel.Intermediate => "中级",
        SkillLevel.Advanced => "高级",
        _ => level.ToString(),
    };

    public static string ToChinese(this AwardLevel level) => level switch
    {
        AwardLevel.National => "国家级",
        AwardLevel.Provincial => "省级",
        AwardLevel.Municipal => "市级",
        _ => "校级",
    };

    public static string ToChinese(this AwardRank rank) => rank switch
    {
        AwardRank.First => "一等奖",
        AwardRank.Second => "二等奖",
        _ => "三等奖",
    };
}
