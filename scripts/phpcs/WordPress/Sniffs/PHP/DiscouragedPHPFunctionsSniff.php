<?php
/**
 * Stand-in for WPCS's WordPress.PHP.DiscouragedPHPFunctions (see phpcs.xml.dist for why).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Lint\WordPress\Sniffs\PHP;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use WorkOS_WP\Lint\WordPress\Sniffs\GlobalFunctionCall;

require_once dirname( __DIR__ ) . '/GlobalFunctionCall.php';

/**
 * Reports calls of PHP functions that WPCS discourages, with WPCS's codes
 * (<group>_<function>, e.g. obfuscation_base64_encode): each use needs a reason in a
 * `phpcs:ignore` annotation.
 */
final class DiscouragedPHPFunctionsSniff implements Sniff {

	/**
	 * Function => WPCS group.
	 *
	 * @var array<string, string>
	 */
	private const FUNCTIONS = array(
		'base64_decode'    => 'obfuscation',
		'base64_encode'    => 'obfuscation',
		'convert_uudecode' => 'obfuscation',
		'convert_uuencode' => 'obfuscation',
		'str_rot13'        => 'obfuscation',
		'serialize'        => 'serialize',
		'unserialize'      => 'serialize',
		'exec'             => 'system_calls',
		'passthru'         => 'system_calls',
		'proc_open'        => 'system_calls',
		'shell_exec'       => 'system_calls',
		'system'           => 'system_calls',
		'popen'            => 'system_calls',
	);

	/**
	 * Tokens listened to.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_STRING );
	}

	/**
	 * Reports a call of one of the global functions above.
	 *
	 * @param File $phpcs_file File.
	 * @param int  $ptr        Position of the name.
	 */
	public function process( File $phpcs_file, $ptr ) {
		$function = GlobalFunctionCall::name( $phpcs_file, $ptr );
		if ( ! isset( self::FUNCTIONS[ $function ] ) ) {
			return;
		}
		if ( ! GlobalFunctionCall::at( $phpcs_file, $ptr ) ) {
			return;
		}
		$group = self::FUNCTIONS[ $function ];
		$phpcs_file->addWarning( '%s() is discouraged (%s): say why it is needed here.', $ptr, $group . '_' . $function, array( $function, $group ) );
	}
}
