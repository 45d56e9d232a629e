# The sample profile of InSpec's documentation, written out again for the tests.

control 'check_os_version' do
  impact 0.7
  title 'Operating System Version Check'
  desc 'Verify that the operating system version meets the requirements'
  only_if { os.linux? }
  describe command('uname -r') do
    its('stdout') { should cmp '4.19.0-10-amd64' }
  end
end

control 'check_secure_password_policy' do
  impact 0.5
  title 'Secure Password Policy Check'
  desc 'Ensure that the password policy is configured securely'
  describe file('/etc/login.defs') do
    its('content') { should match(/PASS_MAX_DAYS\s+(\d+)/) }
    its('content') { should match(/PASS_MIN_LEN\s+(\d+)/) }
  end
end
