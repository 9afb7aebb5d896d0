using System.Diagnostics;
using System.Security.Cryptography;
using KtoFuzz;

// Usage: KtoFuzz <repo> <executions per target> <findings dir> [target name]
// Every mutated input must end in success or one of the target's own exception types; anything else is a finding,
// saved with its exception. The input being run is written to <findings>/current.input first, so a process crash
// (which no catch can see) leaves the culprit behind; a run longer than HangSeconds is reported as a hang.
const int HangSeconds = 20;
var repo = args[0];
var executions = int.Parse(args[1]);
var findings = Directory.CreateDirectory(args[2]).FullName;
var only = args.Length > 3 ? args[3] : null;
var scratch = Directory.CreateTempSubdirectory("kto-fuzz-").FullName;
var current = Path.Combine(findings, "current.input");
var totalFindings = 0;

var running = Stopwatch.StartNew();
long runStarted = 0;
var watchdog = new Thread(() =>
{
    while (true)
    {
        Thread.Sleep(1000);
        var started = Interlocked.Read(ref runStarted);
        if (started > 0 && running.ElapsedMilliseconds - started > HangSeconds * 1000)
        {
            Console.WriteLine($"HANG: one input ran for more than {HangSeconds} s; it is in {current}");
            Environment.Exit(2);
        }
    }
})
{ IsBackground = true };
watchdog.Start();

foreach (var target in Targets.All(repo, scratch).Where(t => only is null || t.Name == only))
{
    var mutator = new Mutator(seed: 12345, target.Dictionary);
    int accepted = 0, rejected = 0, other = 0;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < executions; i++)
    {
        var input = mutator.Mutate(target.Seeds[i % target.Seeds.Count]);
        File.WriteAllBytes(current, input);
        Interlocked.Exchange(ref runStarted, running.ElapsedMilliseconds);
        try
        {
            target.Run(input);
            accepted++;
        }
        catch (Exception e) when (target.IsRejection(e))
        {
            rejected++;
        }
        catch (Exception e)
        {
            other++;
            var name = $"{target.Name.Replace(' ', '-')}-{Convert.ToHexString(SHA256.HashData(input))[..12]}";
            File.WriteAllBytes(Path.Combine(findings, name + ".input"), input);
            File.WriteAllText(Path.Combine(findings, name + ".txt"), e.ToString());
            if (other <= 5)
            {
                Console.WriteLine($"  {target.Name}: {e.GetType().Name}: {e.Message.Split('\n')[0]} ({name}.input)");
            }
        }
        finally
        {
            Interlocked.Exchange(ref runStarted, 0);
        }
    }
    totalFindings += other;
    Console.WriteLine($"{target.Name}: {executions} executions in {clock.Elapsed.TotalSeconds:F0} s: {accepted} accepted, {rejected} rejected with the library's error, {other} other");
}

File.Delete(current);
Directory.Delete(scratch, recursive: true);
Console.WriteLine($"fuzz: {totalFindings} findings");
return totalFindings == 0 ? 0 : 1;
