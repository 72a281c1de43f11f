using Runner.Core.Machines;
using Runner.Core.Util;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Machines;

/// <summary>A machine's id is a stable digest of everything that makes its times comparable, and survives a trip through JSON.</summary>
public sealed class MachineTests
{
    [Fact]
    public void The_id_is_a_stable_digest_of_every_field_and_not_part_of_the_key_form()
    {
        var machine = TestMachines.Cpu();

        // Pinned: a change to the digest or to the fields would make every recorded machine id mean another machine.
        Assert.Equal("b5e3fbb510b3", machine.Id);
        Assert.False(machine.ToJson().ContainsKey("id"));
        Assert.NotEqual(machine.Id, (machine with { Threads = 1 }).Id);
        Assert.NotEqual(machine.Id, (machine with { Cpu = "Other CPU" }).Id);
        Assert.NotEqual(machine.Id, (machine with { Backend = "cuda" }).Id);
        Assert.NotEqual(machine.Id, (machine with { Driver = "570.86" }).Id);
    }

    [Fact]
    public void A_machine_read_back_from_json_is_the_same_machine()
    {
        var gpu = TestMachines.Cpu() with { Device = "cuda", DeviceName = "NVIDIA H100", Driver = "570.86", Cuda = "12.8", Cudnn = "9.1.0" };
        var text = System.Text.Json.JsonSerializer.Serialize(gpu, Json.Options);

        Assert.Contains($"\"id\": \"{gpu.Id}\"", text);
        var read = System.Text.Json.JsonSerializer.Deserialize<Machine>(text, Json.Options)!;
        Assert.Equal(gpu, read);
        Assert.Equal(gpu.Id, read.Id);
    }

    [Fact]
    public void The_description_names_the_cpu_and_on_a_gpu_the_gpu_and_its_versions()
    {
        Assert.Equal("Test CPU, 2 cores, 1 thread", (TestMachines.Cpu() with { Threads = 1 }).Describe());
        var gpu = TestMachines.Cpu() with
            { Device = "cuda", DeviceName = "NVIDIA H100", Driver = "570.86", Cuda = "12.8", Cudnn = "9.1.0", Threads = 16 };
        Assert.Equal("NVIDIA H100 (driver 570.86, CUDA 12.8, cuDNN 9.1.0) on Test CPU, 2 cores, 16 threads", gpu.Describe());
    }
}
