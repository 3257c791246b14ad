################################################################################
# The image repository (make push): tags cannot be overwritten, so a tag always names the same image
################################################################################

resource "aws_ecr_repository" "app" {
  name                 = var.cluster_name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  # terraform destroy removes the images with the repository.
  force_delete = true

  tags = local.tags
}
