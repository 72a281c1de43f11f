# Sourced by bench scripts: one_backbone_experiment NAME DATASET_PATH VALIDATION TEST ARCH SIZE EPOCHS BATCH prints an
# experiment file that trains one backbone with Adam (lr 1e-3, seed 42), no augmentation, the smallest timing settings.
one_backbone_experiment() {
  cat <<YAML
name: $1
dataset:
  kind: folder
  path: $2
  split: { validation: $3, test: $4, stratify: true, seed: 42 }
defaults:
  image_size: $6
  epochs: $7
  batch_size: $8
  optimizer: { name: adam, lr: 1.0e-3 }
  seed: 42
backbones:
  - $5
timing: { warmup: 2, iterations: 5, batch_sizes: [1] }
report: { output: report }
YAML
}
