"""JupyterHub for a class larger than one machine: one server per student, on Kubernetes.

Each student gets a server of their own, in a container made from the image of
``deploy/jupyterhub/Dockerfile`` (the kit installed from its wheel), scheduled
by Kubernetes on any machine of the cluster; a class grows by adding machines.
The server starts with ``b4b-singleuser``: ``b4b init ~/course``, then
JupyterLab with the course's settings. The dashboards are Voila's, inside each
student's own server: ``/user/NAME/voila/render/course/lessons/01_supplier_levels.ipynb``,
or the "Dashboards only" choice at start.

Made for Zero to JupyterHub (the Helm chart ``jupyterhub/jupyterhub``, 4.x),
which runs the hub, the proxy, the students' storage and the idle-server
culler; ``values.yaml`` beside this file mounts it into the hub. Everything
about the kit is here. Secrets come from the environment:

B4B_IMAGE            the student image, e.g. registry.example.edu/b4b-kit-singleuser:0.1.0
B4B_CLASS_PASSWORD   the password students log in with (8 characters or more)
B4B_ADMIN_PASSWORD   the instructors' password (32 characters or more)
B4B_INSTRUCTORS      instructors' user names, comma-separated (they log in with B4B_ADMIN_PASSWORD)
"""

import os

# JupyterHub's configuration object. traitlets defines `c` in every config file it loads, and so does
# the chart's hub for the files of jupyterhub_config.d, where get_config() means something else
# (a chart value by key): so this file takes `c` as given and never calls get_config().
c = globals()["c"]

# ---- who logs in: one class password, instructors as admins -----------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("B4B_CLASS_PASSWORD")
c.SharedPasswordAuthenticator.admin_password = os.environ.get("B4B_ADMIN_PASSWORD")
instructors = os.environ.get("B4B_INSTRUCTORS", "")
c.Authenticator.admin_users = {name.strip() for name in instructors.split(",") if name.strip()}
c.Authenticator.allow_all = True  # any user name, with the class password

# ---- one server per student, from the kit's image --------------------------------------------------
c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
c.KubeSpawner.image = os.environ.get("B4B_IMAGE", "registry.example.edu/b4b-kit-singleuser:0.1.0")
c.KubeSpawner.cmd = ["b4b-singleuser"]
c.KubeSpawner.default_url = "/lab/tree/course/README.md"
c.KubeSpawner.start_timeout = 300  # a cold node pulls the image first

# Sizes from the kit's own measurements (b4b serve logs them): a lesson kernel started the
# usual way holds 150-250 MB, JupyterLab about 150 MB; a student keeps two or three open.
c.KubeSpawner.mem_guarantee = "768M"
c.KubeSpawner.mem_limit = "2G"
c.KubeSpawner.cpu_guarantee = 0.1  # 2 cores hold about 20 students reading and moving sliders
c.KubeSpawner.cpu_limit = 1.0

# Two ways in: the course in JupyterLab, or only the dashboards, each in the student's own Voila.
c.KubeSpawner.profile_list = [
    {"display_name": "Course (JupyterLab): lessons, exercises, case studies", "slug": "course", "default": True},
    {"display_name": "Dashboards only (Voila)", "slug": "dashboards",
     "kubespawner_override": {"default_url": "/voila/tree/course/lessons"}},
]
