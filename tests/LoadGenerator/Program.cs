Console.WriteLine("CreditBank load generator");
