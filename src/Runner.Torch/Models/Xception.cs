using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// Xception (Chollet, 2017) as timm's legacy Cadene port defines it: the state_dict keys and shapes are timm's, so
/// <c>xception-43020ad28.pth</c> loads by key. Entry flow conv1/conv2 + block1–3, middle flow block4–11, exit flow
/// block12 + separable conv3/conv4, global average pooling and <c>fc</c>.
/// </summary>
public sealed class Xception : nn.Module<Tensor, Tensor>
{
    public const int NumFeatures = 2048;

    // Field order is registration order, so named_parameters() comes in timm's order.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU act1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly ReLU act2;
    private readonly XceptionBlock block1, block2, block3, block4, block5, block6, block7, block8, block9, block10, block11, block12;
    private readonly XceptionSeparableConv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU act3;
    private readonly XceptionSeparableConv2d conv4;
    private readonly BatchNorm2d bn4;
    private readonly ReLU act4;
    private readonly AdaptiveAvgPool2d global_pool;
    private readonly Linear fc;

    public Xception(int numClasses = 1000, int inChannels = 3) : base(nameof(Xception))
    {
        NumClasses = numClasses;

        conv1 = nn.Conv2d(inChannels, 32, kernel_size: 3, stride: 2, padding: 0L, bias: false);
        bn1 = nn.BatchNorm2d(32);
        act1 = nn.ReLU();
        conv2 = nn.Conv2d(32, 64, kernel_size: 3, stride: 1, padding: 0L, bias: false);
        bn2 = nn.BatchNorm2d(64);
        act2 = nn.ReLU();

        block1 = new XceptionBlock(64, 128, reps: 2, stride: 2, startWithRelu: false);
        block2 = new XceptionBlock(128, 256, reps: 2, stride: 2);
        block3 = new XceptionBlock(256, 728, reps: 2, stride: 2);
        block4 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block5 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block6 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block7 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block8 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block9 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block10 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block11 = new XceptionBlock(728, 728, reps: 3, stride: 1);
        block12 = new XceptionBlock(728, 1024, reps: 2, stride: 2, growFirst: false);

        conv3 = new XceptionSeparableConv2d(1024, 1536);
        bn3 = nn.BatchNorm2d(1536);
        act3 = nn.ReLU();
        conv4 = new XceptionSeparableConv2d(1536, NumFeatures);
        bn4 = nn.BatchNorm2d(NumFeatures);
        act4 = nn.ReLU();

        global_pool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(NumFeatures, numClasses);

        RegisterComponents();
        InitWeights();
    }

    public int NumClasses { get; }

    /// <summary>timm's init: convolutions kaiming-normal (fan_out, ReLU), BatchNorm weight 1 / bias 0; fc keeps Linear's default.</summary>
    private void InitWeights()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }

    /// <summary>The feature map before pooling: [N, 2048, H/32-ish, W/32-ish] (10×10 at 299²).</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = act1.call(bn1.call(conv1.call(input)));
        x = act2.call(bn2.call(conv2.call(x)));
        x = block1.call(x);
        x = block2.call(x);
        x = block3.call(x);
        x = block4.call(x);
        x = block5.call(x);
        x = block6.call(x);
        x = block7.call(x);
        x = block8.call(x);
        x = block9.call(x);
        x = block10.call(x);
        x = block11.call(x);
        x = block12.call(x);
        x = act3.call(bn3.call(conv3.call(x)));
        x = act4.call(bn4.call(conv4.call(x)));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Global average pooling and <c>fc</c> over a <see cref="ForwardFeatures"/> map: [N, classes].</summary>
    public Tensor ForwardHead(Tensor features)
    {
        using var pooled = global_pool.call(features);
        using var flat = pooled.flatten(1);
        return fc.call(flat);
    }

    public override Tensor forward(Tensor input)
    {
        using var features = ForwardFeatures(input);
        return ForwardHead(features);
    }
}
