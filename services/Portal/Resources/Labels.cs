namespace CreditBank.Portal.Resources;

/// <summary>The portal's words: <c>Labels.resx</c> in Chinese (the default), <c>Labels.en.resx</c> in English. Every label is in both.</summary>
public sealed class Labels;
