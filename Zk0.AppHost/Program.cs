Console.WriteLine("Zk0.AppHost");
