package dev.steptorch.tensor.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * What is PyTorch? The blitz's tour of tensors: creation, arithmetic, views, the NumPy bridge, devices.
 *
 * <p>Each block below is one cell of the blitz, with the Python in a comment above the Java, and
 * prints what the cell prints. The random numbers differ from the course's (Java draws its own),
 * everything else reads the same. The last block runs only when there is a GPU.
 */
public final class TensorTour {
    private TensorTour() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "TensorTour",
                "What is PyTorch? The blitz's tour of tensors: creation, arithmetic, views, the NumPy bridge, devices.",
                "./lesson TensorTour");
        Torch.manualSeed(0);
        creating();
        operations();
        resizing();
        numpyBridge();
        devices();
    }

    private static void creating() {
        // x = torch.empty(5, 3): whatever memory the allocator hands out (on the CPU, Java's zeros).
        Tensor x = Torch.empty(5, 3);
        System.out.println(x);

        // x = torch.rand(5, 3)
        x = Torch.rand(5, 3);
        System.out.println(x);

        // x = torch.zeros(5, 3, dtype=torch.long)
        x = Torch.zeros(Options.dtype(DType.INT64), 5, 3);
        System.out.println(x);

        // x = torch.tensor([5.5, 3]): Python floats give the default dtype, float32.
        x = Torch.tensor(new double[] {5.5, 3});
        System.out.println(x);

        // x = x.new_ones(5, 3, dtype=torch.double): x's device, another dtype.
        x = Torch.ones(Options.of(DType.FLOAT64, x.device()), 5, 3);
        System.out.println(x);

        // x = torch.randn_like(x, dtype=torch.float): x's shape and device, the dtype overridden.
        x = Torch.randnLike(x, DType.FLOAT32);
        System.out.println(x);

        // print(x.size()): torch.Size is a tuple in Python; here a small immutable class.
        System.out.println(x.size());
        tour = x;
    }

    /** The x of the blitz, handed from cell to cell as the notebook keeps it. */
    private static Tensor tour;

    private static void operations() {
        Tensor x = tour;
        Tensor y = Torch.rand(5, 3);

        // print(x + y): Java has no operator overloading, so both syntaxes become method calls.
        System.out.println(x.add(y));
        // print(torch.add(x, y))
        System.out.println(Torch.add(x, y, null));

        // result = torch.empty(5, 3); torch.add(x, y, out=result)
        Tensor result = Torch.empty(5, 3);
        Torch.add(x, y, result);
        System.out.println(result);

        // y.add_(x): a trailing underscore means "changes the tensor itself".
        y.add_(x);
        System.out.println(y);

        // print(x[:, 1]): the second column, a view that copies nothing.
        System.out.println(x.select(1, 1));

        // x.t_() transposes x itself.
        x.t_();
        System.out.println(x.size());
    }

    private static void resizing() {
        // x = torch.randn(4, 4); y = x.view(16); z = x.view(-1, 8): -1 is inferred from the rest.
        Tensor x = Torch.randn(4, 4);
        Tensor y = x.view(16);
        Tensor z = x.view(-1, 8);
        System.out.println(x.size() + " " + y.size() + " " + z.size());

        // x = torch.randn(1); print(x); print(x.item()): one element as a plain number.
        x = Torch.randn(1);
        System.out.println(x);
        System.out.println(TwoLayerTensors.pythonFloat(x.item()));
    }

    private static void numpyBridge() {
        // a = torch.ones(5); b = a.numpy(): b shares a's memory.
        Tensor a = Torch.ones(5);
        System.out.println(a);
        NDArray b = a.numpy();
        System.out.println(b.str());

        // a.add_(1) changes b too.
        a.add_(1);
        System.out.println(a);
        System.out.println(b.str());

        // a = np.ones(5); b = torch.from_numpy(a); np.add(a, 1, out=a): the tensor sees the change.
        NDArray c = NumPy.ones(5);
        Tensor d = Torch.fromNumpy(c);
        c.add_(1);
        System.out.println(c.str());
        System.out.println(d);
    }

    private static void devices() {
        // if torch.cuda.is_available(): ...
        if (!Device.isGpuAvailable()) {
            System.out.println("no GPU available (no OpenCL device); skipping the device cell");
            return;
        }
        Tensor x = Torch.randn(1);
        Device device = Device.GPU;
        // y = torch.ones_like(x, device=device): created directly on the GPU.
        Tensor y = Torch.ones(Options.of(x.dtype(), device), x.shape());
        // x = x.to(device): a copy onto the GPU.
        x = x.to(device);
        Tensor z = x.add(y);
        System.out.println(z);
        // z.to("cpu", torch.double): back to the CPU and to float64 in one call.
        System.out.println(z.to(Device.CPU, DType.FLOAT64));
    }
}
