output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}

output "update_kubeconfig_command" {
  description = "Points kubectl at the new cluster."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}

output "ecr_repository_url" {
  description = "Where make push sends the image (REGISTRY_IMAGE)."
  value       = aws_ecr_repository.app.repository_url
}

output "model_uri" {
  description = "Where the app's init container fetches the model from (upload it with aws s3 cp)."
  value       = "s3://${aws_s3_bucket.models.bucket}/model.npz"
}

output "model_reader_role_arn" {
  description = "IAM role of the app's ServiceAccount (eks.amazonaws.com/role-arn)."
  value       = aws_iam_role.model_reader.arn
}

output "vpc_cidr" {
  description = "Address range the ALB reaches the pods from (k8s/overlays/eks NetworkPolicy patch)."
  value       = module.vpc.vpc_cidr_block
}
