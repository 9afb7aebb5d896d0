using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto;

/// <summary>
/// The entry point, in the manner of ML.NET's <c>MLContext</c>: <c>kto.Data</c> loads datasets,
/// <c>kto.Trainers.Kto(...)</c> creates the estimator.
/// </summary>
public sealed class KtoContext
{
    /// <summary>Creates a context whose seed becomes the default <see cref="KtoOptions.Seed"/>.</summary>
    public KtoContext(int seed = 42)
    {
        Seed = seed;
        Data = new DataCatalog();
        Trainers = new TrainerCatalog(this);
    }

    /// <summary>Default seed of estimators created here.</summary>
    public int Seed { get; }

    /// <summary>Dataset loading.</summary>
    public DataCatalog Data { get; }

    /// <summary>Trainers.</summary>
    public TrainerCatalog Trainers { get; }

    /// <summary>Dataset loading operations.</summary>
    public sealed class DataCatalog
    {
        internal DataCatalog() { }

        /// <summary>Loads a JSONL file (prompt/completion/label or prompt/chosen/rejected rows).</summary>
        public KtoDataset LoadFromJsonl(string path, KtoColumnNames? columns = null) => KtoDatasetLoader.LoadJsonl(path, columns);

        /// <summary>Loads in-memory unpaired examples.</summary>
        public KtoDataset LoadFromEnumerable(IEnumerable<KtoExample> examples) => KtoDatasetLoader.Load(examples);

        /// <summary>Loads in-memory paired preferences (unpaired into desirable and undesirable rows).</summary>
        public KtoDataset LoadFromEnumerable(IEnumerable<PreferenceExample> examples) => KtoDatasetLoader.Load(examples);
    }

    /// <summary>Trainer factories.</summary>
    public sealed class TrainerCatalog
    {
        private readonly KtoContext _context;

        internal TrainerCatalog(KtoContext context) => _context = context;

        /// <summary>A KTO estimator for a Hugging Face model directory.</summary>
        public KtoEstimator Kto(string modelDirectory, KtoOptions? options = null, string? referenceModelDirectory = null)
        {
            options ??= new KtoOptions { Seed = _context.Seed };
            return new KtoEstimator(modelDirectory, options, referenceModelDirectory);
        }
    }
}
